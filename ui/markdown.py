"""Text that must reach the screen verbatim through Streamlit's Markdown."""


def escape_markdown(text: str) -> str:
    """Keep f*, __import__ and the like literal inside Markdown."""
    return text.replace("\\", "\\\\").replace("*", r"\*").replace("_", r"\_").replace("`", r"\`")
