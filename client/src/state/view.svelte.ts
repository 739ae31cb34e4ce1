/**
 * The state of the map view, shared by the map, its layers, the toolbar and the side panel. One instance is
 * created by App and handed down with setViewState/getViewState.
 */
import { getContext, setContext } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ColorBy, LayerKey, Selection, UrlView } from '../lib/urlState.ts';
import type { Light } from '../../../domain/projectSupervision.ts';

export class ViewState {
  center = $state<[number, number]>([0, 0]);
  zoom = $state(0);
  colorBy = $state<ColorBy>('landUse');
  layers = $state<LayerKey[]>([]);
  selection = $state<Selection | null>(null);
  basemap = $state('none');
  /** The offline context layer (province, cities, counties, seats); on unless the link says ctx=0. */
  context = $state(true);
  /** The date idle land is judged at; null = today. */
  asOf = $state<string | null>(null);
  /** Project pins shown: all, or those of one traffic light (then coloured by light). */
  projectLight = $state<'all' | Light>('all');
  /** Bumped after every write, so that tiles, lists and panels fetch the data again. */
  dataVersion = $state(0);
  /** Set once the map has loaded its style. */
  map = $state.raw<MapLibreMap | null>(null);

  constructor(initial: UrlView) {
    this.center = initial.center;
    this.zoom = initial.zoom;
    this.colorBy = initial.colorBy;
    this.layers = initial.layers;
    this.selection = initial.selection;
    this.basemap = initial.basemap;
    this.context = initial.context;
    this.asOf = initial.asOf;
    this.projectLight = initial.light;
  }

  isVisible(layer: LayerKey): boolean {
    return this.layers.includes(layer);
  }

  toggleLayer(layer: LayerKey): void {
    this.layers = this.isVisible(layer) ? this.layers.filter((l) => l !== layer) : [...this.layers, layer];
  }

  select(selection: Selection | null): void {
    this.selection = selection;
  }

  dataChanged(): void {
    this.dataVersion++;
  }
}

const KEY = Symbol('view-state');
export const setViewState = (state: ViewState) => setContext(KEY, state);
export const getViewState = () => getContext<ViewState>(KEY);
