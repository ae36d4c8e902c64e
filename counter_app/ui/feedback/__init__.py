"""The customer feedback screen (满意度评价): a second screen or tablet at the counter, or rating by the
reference printed on a notice (`window.FeedbackWindow`)."""
