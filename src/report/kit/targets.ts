import type { Route } from '../../model.js';

/** Each target's colour in every chart and swatch (kit.css --gateway / --backend): blue and orange tell apart for most eyes. */
export const TARGET_COLOR: Readonly<Record<Route, string>> = { gateway: '#1f5fbf', backend: '#d9480f' };

/** A target in a legend or a tile: short, the same on every report. */
export const TARGET_SHORT_LABEL: Readonly<Record<Route, string>> = { gateway: 'through the gateway', backend: 'direct to the backend' };
