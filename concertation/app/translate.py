"""Mesa's own controls in the page's language.

SolaraViz writes its labels in English ("Controls", "Reset", "Step", "Play Interval (ms)",
"Time: 12.0"), with no way to pass others. The page's `Translator` is an invisible ipyvue
template: in the browser it rewrites those texts whenever the page changes (a
MutationObserver), and writes them back when the page returns to English. The
words and patterns are data, here; nothing in Mesa is patched.
"""

from __future__ import annotations

import ipyvuetify as v
import traitlets

# Mesa 3.5.1's SolaraViz labels (mesa/visualization/solara_viz.py) and their French.
MESA_WORDS_FR = {
    "Controls": "Commandes",
    "Play Interval (ms)": "Intervalle de lecture (ms)",
    "Render Interval (steps)": "Intervalle d'affichage (pas)",
    "Use Threads": "Calcul en parallèle (threads)",
    "Increase play interval to avoid skipping plots":
        "Augmentez l'intervalle de lecture pour ne pas sauter d'images",
    "Reset": "Réinitialiser",
    "Step": "Pas",
    "Model Parameters": "Paramètres du modèle",
}
# "Time: 12.0" (ShowSteps: the model's time, a month count) and its French.
TIME_PATTERN = (r"^Time: (\d+)\.0$", "Mois : $1")
TIME_PATTERN_BACK = (r"^Mois : (\d+)$", "Time: $1.0")


def words_for(lang: str) -> dict[str, str]:
    """What to rewrite for `lang`: English to French, or French back to English."""
    if lang == "fr":
        return dict(MESA_WORDS_FR)
    return {french: english for english, french in MESA_WORDS_FR.items()}


def patterns_for(lang: str) -> list[list[str]]:
    return [list(TIME_PATTERN if lang == "fr" else TIME_PATTERN_BACK)]


class Translator(v.VuetifyTemplate):
    """Rewrites the page's texts found in `words` (exact, trimmed) or matching `patterns`
    ([regex, replacement] pairs, JavaScript syntax)."""

    template = traitlets.Unicode("""
<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    this.apply();
    this.observer = new MutationObserver(() => this.apply());
    this.observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  },
  destroyed() {
    if (this.observer) this.observer.disconnect();
  },
  watch: {
    words() { this.apply(); },
    patterns() { this.apply(); },
  },
  methods: {
    apply() {
      const words = this.words || {};
      const patterns = (this.patterns || []).map(([source, target]) => [new RegExp(source), target]);
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.data.trim();
        if (!text) continue;
        // Only a changed text is written: writing a node is a mutation, which calls apply.
        let translated = text;
        if (Object.prototype.hasOwnProperty.call(words, text)) {
          translated = words[text];
        } else {
          const found = patterns.find(([pattern]) => pattern.test(text));
          if (found) translated = text.replace(found[0], found[1]);
        }
        if (translated !== text) node.data = node.data.replace(text, translated);
      }
    },
  },
};
</script>
""").tag(sync=True)
    words = traitlets.Dict({}).tag(sync=True)
    patterns = traitlets.List([]).tag(sync=True)


def translator(lang: str):
    """The page's translator element for `lang`."""
    return Translator.element(words=words_for(lang), patterns=patterns_for(lang))
