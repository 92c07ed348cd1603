"""The Gradio chat window (`rag chat`): `from ui.app import build_app, launch`."""
