"""Text fields → typed commands, shared by the workspace forms and the spreadsheet import
(a row's columns are named like the form's fields): parsing only, every rule stays in the
domain. Also which field a refusal concerns, so either door shows it in the right place."""
