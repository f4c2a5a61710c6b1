"""An image that says where it was clicked: how a server-drawn figure becomes inspectable.

The browser knows only the image, so the widget reports the click as fractions of the image's
displayed size (whatever the screen); the figure's `HitMap` (inspect.py) turns that into the
table or actor drawn there. A Vue template of ipyvue, which Solara serves itself: no extra
front-end package, nothing loaded from the network.
"""

from __future__ import annotations

import base64

import ipyvuetify as v
import traitlets


class ClickableImage(v.VuetifyTemplate):
    """A PNG shown at the width of its container; `click` becomes {x, y, n} on each click
    (x from the left, y from the top, in [0, 1]; n counts clicks so two at one place differ)."""

    template = traitlets.Unicode("""
<template>
  <img :src="src" :class="image_class" :alt="alt" @click="clicked"
       style="width: 100%; height: auto; display: block; cursor: pointer" />
</template>
<script>
module.exports = {
  methods: {
    clicked(event) {
      const box = event.target.getBoundingClientRect();
      this.click = {x: (event.clientX - box.left) / box.width,
                    y: (event.clientY - box.top) / box.height,
                    n: (this.click && this.click.n ? this.click.n : 0) + 1};
    },
  },
};
</script>
""").tag(sync=True)
    src = traitlets.Unicode("").tag(sync=True)
    image_class = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    click = traitlets.Dict({}).tag(sync=True)


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
