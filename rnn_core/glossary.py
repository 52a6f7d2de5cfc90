"""The glossary: the words the app uses, each explained once, for people new to forecasting.

Every page shows it one click away (the sidebar's "Glossary", ``ui/glossary.py``); the words
are here, as data, so a page, a lesson or the command line can quote the same definition.

>>> TERMS["persistence"].startswith("The baseline")
True
>>> "hidden state" in TERMS and "MASE" in TERMS
True
"""

from __future__ import annotations

# term -> what it means here, in the app's own units and settings (alphabetical order).
TERMS: dict[str, str] = {
    "cell": "The rule that turns the hidden state and the next value into the new hidden state, "
            "applied at every time step with the same weights. SimpleRNN: h_t = tanh(x_t·W_x + "
            "h_t−1·W_h + b). LSTM adds a cell state c_t and three gates (forget, input, output); "
            "GRU has two gates (update, reset). Gates are numbers between 0 and 1 that decide "
            "how much of the past to keep.",
    "epoch": "One pass of the training over every training window. The loss chart has one "
             "point per epoch; more epochs fit the training part more closely, not always the "
             "test part.",
    "hidden state": "The vector h_t (one number per hidden unit) the network carries from one "
                    "time step to the next: everything it remembers of the window so far. It "
                    "starts at 0; the prediction is read from the last one, h_T.",
    "horizon": "How many values after the window the network predicts at once (H). H = 1 is "
               "the next value only; H = 12 on monthly data is the next year, with one output "
               "per step ahead.",
    "MAE / RMSE": "Mean absolute error and root mean squared error of the predictions against "
                  "the actual values; lower is better. RMSE punishes large misses more. Both are "
                  "given in original units (e.g. sunspot numbers) unless marked scaled.",
    "MASE": "Mean absolute scaled error: the test MAE divided by the MAE a naive forecast "
            "makes on the training part (the value one season back on the Results page; the "
            "previous value on the command line). Below 1 beats that naive forecast; it "
            "compares across series of different sizes.",
    "persistence": "The baseline \"the next value equals the last one\" (tomorrow equals today). "
                   "A network that does not beat it on the test part has learned nothing a "
                   "forecaster could use.",
    "scaled units": "The values after min-max scaling: (x − min) / (max − min), with the min "
                    "and max of the part the scaler was fitted on (the training part, honestly), "
                    "so training values lie in [0, 1]. The network trains on these; errors are "
                    "turned back into original units too.",
    "seasonal naive": "The baseline \"the next value equals the value one season earlier\": the "
                      "series' own cycle (132 months for sunspots' ~11-year cycle), else the "
                      "calendar's (12 for monthly data, 4 quarterly, 52 weekly, 7 daily, 24 "
                      "hourly, 48 half-hourly). The Results page names the season it used.",
    "stride": "The distance between the targets of consecutive windows. 1 gives sliding windows "
              "(every value is a target once); a stride equal to the time steps gives "
              "non-overlapping windows, T times fewer training examples.",
    "test part / training part": "The series is split in two (the red line on the charts): the "
                                 "network fits the training part only and is scored on the test "
                                 "part, which it never saw, as a real forecast would be.",
    "time step": "One position t = 1 … T in a window. The recurrent network reads a window one "
                 "value per time step, updating its hidden state each time; T (Time steps) is "
                 "how many it reads.",
    "the tutorials": "Published tutorials on recurrent networks in Keras that the t1-, t2- and "
                     "t3- presets reproduce exactly: the sunspots tutorial (SimpleRNN(3) on "
                     "monthly sunspots, non-overlapping windows of 12, the scaler fitted on the "
                     "whole series), the sine tutorial (sine + noise, windows of 4 fed as one "
                     "step of 4 features) and Keras' RNN guide (the same on 2,000 points).",
    "window": "The T consecutive values the network reads to predict what follows them (its "
              "target). The Data & windows page draws the first windows as bands with their "
              "targets.",
}


def markdown() -> str:
    """The glossary as one Markdown list, terms in bold, in alphabetical order.

    >>> markdown().splitlines()[0].startswith("- **cell**: The rule")
    True
    """
    return "\n".join(f"- **{term}**: {text}" for term, text in
                     sorted(TERMS.items(), key=lambda item: item[0].lower().removeprefix("the ")))
