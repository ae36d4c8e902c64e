"""The reports window (报表): breaches with causes and each visit's timeline, service level, time bands,
by hour, staff and counters, causes, satisfaction, exports (`window`, `views`, `charts`, `filters`,
`timeline`); closing the day (`end_of_day`); recording a complaint (`complaint`)."""
