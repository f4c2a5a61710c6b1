"""The browser app of concertation: the live model in a Solara page, in French and English.

`concertation app` serves `app.page` (a Mesa SolaraViz page built per browser session). The app
holds no model logic: it builds `simulation.ConcertationModel` from the chosen preset and
levers, steps it, and draws what the model's arrays and indicators say. Its compare page
(`app.compare`) runs presets over replications through `analyses.compare`.
"""
