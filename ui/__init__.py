"""Streamlit-side helpers shared by the pages: session state, widgets from the field table,
the training panel. Maths and models live in ``rnn_core``; this package only draws."""
