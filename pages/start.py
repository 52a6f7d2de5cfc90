"""Start: what this is, the first minute as three buttons, the lessons, and the way out to
explore freely. Imports no TensorFlow and trains nothing until a button is pressed."""

import streamlit as st

from rnn_core import lessons
from ui import lesson_view, sidebar
from ui.session import session

sidebar.draw()
st.title("RNN Explorer")
st.markdown("Train a recurrent neural network on a time series in your browser, then look "
            "inside it: every number on screen is one the network computed. Start with the "
            "first minute below, follow a lesson, or explore freely.")

first = lessons.builtin("0")
st.subheader(first.title)
# one under the other: side by side, a projector's 1024 pixels cut their labels to "2. Agai…"
for i, step in enumerate(first.steps):
    st.button(f"{i + 1}. {step.title}", key=f"first_minute_{i}", width="stretch",
              type="primary" if i == 0 else "secondary",
              on_click=lesson_view.begin, args=(first, i),
              help=step.look and f"Then look at {step.look}.")

st.subheader("Lessons")
st.caption("Each lesson is a few short steps; **Show me** sets the app for the step (settings, "
           "page, window, a training) and the numbers in the text are computed live. Back, "
           "Next and Leave are in the sidebar.")
if session.lesson is not None and not session.lesson_open:
    st.button(f"Resume {session.lesson.title} at step {session.lesson_step + 1}",
              key="start_resume", on_click=lesson_view.resume)
ids = [i for i in lessons.builtin_ids() if i != "0"]
cards = st.columns(3)
for n, lesson_id in enumerate(ids):
    lesson = lessons.builtin(lesson_id)
    with cards[n % 3].container(border=True, key=f"lesson_card_{lesson_id}"):
        st.markdown(f"**{lesson_id}. {lesson.title}**")
        st.caption(lesson.summary)
        if lesson.needs:
            st.caption(f"Needs {lesson.needs}.")
        st.button(f"Start ({len(lesson.steps)} steps)" if lesson.steps else "Not available yet",
                  key=f"lesson_start_{lesson_id}", on_click=lesson_view.begin, args=(lesson,),
                  disabled=bool(lesson.needs), width="stretch")

with st.expander("Open a lesson file from a link"):
    st.caption(f"A lesson is a markdown file (the README's \"Lessons\" says how to write one), "
               f"at most {lessons.MAX_LESSON_BYTES // 1024} KB, read and checked like a table "
               "from a link.")
    st.text_input("Link to a lesson file (http or https)", key="lesson_url")
    st.button("Open", key="lesson_open_link", on_click=lesson_view.load_from_box)
    if session.lesson_error:
        st.error(session.lesson_error)

st.subheader("Explore freely")
st.page_link("pages/data.py", label="Data & windows: pick a series and start there",
             icon=":material/show_chart:")
