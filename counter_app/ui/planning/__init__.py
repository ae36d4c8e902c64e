"""The planning (PMC) desk's window: sales orders, their parallel review by five departments, the committed
delivery date with its critical path, PMC's confirmation or override, and the printed review record and
commitment letter. `window.PlanningWindow`, signed in through `dialogs.PlanningSignInDialog`."""
