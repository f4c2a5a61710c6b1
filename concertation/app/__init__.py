"""The browser app of concertation: the live model in a Solara page, in French and English.

`concertation app` serves `concertation.app.page` (a Mesa SolaraViz page built per browser
session). The app holds no model logic: it builds `simulation.ConcertationModel` from the chosen preset and
levers, steps it, and draws what the model's arrays and indicators say. Its compare page
(`concertation.app.compare`) runs presets over replications through
`analyses.comparison.compare`.
"""

# The compare page caches its runs under this folder (one subfolder per browser session);
# `concertation app` makes it and removes it when the server stops, however it stops.
RUNS_ENV = "CONCERTATION_APP_RUNS"

# The page's languages and the variable `concertation app --lang` sets for the server; here, not
# in i18n, so that the command line's --help never imports the model's category names.
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_ENV = "CONCERTATION_APP_LANG"
# The browser tab's title, set when the server starts (Solara's own title otherwise).
TAB_TITLES = {"en": "Concertation tables", "fr": "Tables de concertation"}
