"""The built-in series as CSV files (read by ``rnn_core.data``); README.md says where each is from."""
