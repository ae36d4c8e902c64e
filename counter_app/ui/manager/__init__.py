"""The duty manager's window (值班经理): counters and queues against targets, alerts, the help-request
inbox, approvals with the manager's own credential, who is free to help (`window.ManagerWindow`,
`panels`, `dialogs`). It may open the reports window."""
