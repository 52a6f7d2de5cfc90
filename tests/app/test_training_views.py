"""Network & training after a run: the outcome names the run, and a changed setting is said
rather than the old run shown as if it were the current setup."""

import re

from tests.app.helpers import texts, wait_for_training


def test_outcome_names_the_run_and_a_changed_setting_is_said(app):
    at = app({"dataset": "airpassengers", "epochs": "1"})
    at.switch_page("pages/train.py").run()
    at.button(key="train_button").click().run()
    at = wait_for_training(at, seconds=400)  # a worker's first start is slow under load
    done = next(s for s in texts(at.success) if s.startswith("Training finished"))
    run = re.search(r"\((run \d+): simplernn 8u T=12\)", done).group(1)
    assert not any("settings changed" in w for w in texts(at.warning))
    at.number_input(key="field:units").set_value(5).run()
    assert f"The settings changed since {run}; Train to apply them (the chart below is {run}'s)." \
        in texts(at.warning)
    at.number_input(key="field:units").set_value(8).run()
    assert not any("settings changed" in w for w in texts(at.warning))
