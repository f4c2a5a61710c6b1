"""Validation against the patterns P1-P7 and their null models (`patterns`), the report
`concertation validate` writes (`report`: docs/validation.md and its figure), and the
calibration of `les_moulins` against P3 (`calibration`)."""
