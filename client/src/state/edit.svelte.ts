/**
 * Geometry editing on the map with terra-draw: drawing a new parcel, moving a parcel's vertices, drawing a
 * split line, and collecting parcels to merge. One instance, created by App, handed down by context; the
 * map's click handler asks it whether clicks belong to the editor.
 */
import { getContext, setContext } from 'svelte';
import type { LineString, Polygon } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode, TerraDrawSelectMode, type GeoJSONStoreFeatures } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';

export type EditMode = 'idle' | 'new' | 'reshape' | 'split' | 'merge' | 'analyse';

/** terra-draw refuses coordinates with more decimals than its precision (9 ≈ 0.1 mm). */
const PRECISION = 9;
const round = (n: number) => Math.round(n * 10 ** PRECISION) / 10 ** PRECISION;

export class EditState {
  mode = $state<EditMode>('idle');
  /** The parcel being reshaped, split or merged into; the zone a new parcel is drawn in. */
  parcelId = $state<number | null>(null);
  zoneId = $state<number | null>(null);
  /** The shape as drawn so far (live while dragging), or the finished split line. */
  polygon = $state.raw<Polygon | null>(null);
  line = $state.raw<LineString | null>(null);
  /** Parcels picked on the map to merge with the selected one. */
  mergeIds = $state<number[]>([]);

  private draw: TerraDraw | null = null;

  constructor(private readonly getMap: () => MapLibreMap | null) {}

  private startDraw(): TerraDraw {
    this.stopDraw();
    const map = this.getMap();
    if (!map) throw new Error('The map is not ready.');
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: PRECISION }),
      modes: [
        new TerraDrawPolygonMode({ styles: { fillColor: '#f6ad55', fillOpacity: 0.35, outlineColor: '#c05621', outlineWidth: 2 } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: '#e53e3e', lineStringWidth: 3 } }),
        new TerraDrawSelectMode({
          flags: {
            polygon: { feature: { draggable: false, coordinates: { draggable: true, midpoints: true, deletable: true } } },
          },
          styles: {
            selectedPolygonColor: '#f6ad55',
            selectedPolygonOutlineColor: '#c05621',
            selectionPointColor: '#ffffff',
            selectionPointOutlineColor: '#c05621',
            midPointColor: '#c05621',
          },
        }),
      ],
    });
    draw.start();
    // Live updates (also mid-drag) for the area and the overlap check.
    draw.on('change', (ids, type) => {
      if (type === 'delete') return;
      for (const id of ids) {
        const f = draw.getSnapshotFeature(id);
        if (f?.properties.mode === 'polygon') this.polygon = f.geometry as Polygon;
        if (f?.properties.mode === 'linestring') this.line = f.geometry as LineString;
      }
    });
    draw.on('finish', (id, ctx) => {
      const f = draw.getSnapshotFeature(id);
      if (!f) return;
      if (ctx.mode === 'polygon' && ctx.action === 'draw') {
        this.polygon = f.geometry as Polygon;
        // Once drawn, the new shape can be adjusted like an existing one.
        draw.selectFeature(id);
      }
      if (f.properties.mode === 'polygon') this.polygon = f.geometry as Polygon;
      if (ctx.mode === 'linestring' && ctx.action === 'draw') {
        this.line = f.geometry as LineString;
        draw.setMode('static');
      }
    });
    this.draw = draw;
    return draw;
  }

  private stopDraw(): void {
    if (this.draw?.enabled) {
      this.draw.clear();
      this.draw.stop();
    }
    this.draw = null;
  }

  /** Draw a new parcel in a zone. */
  startNew(zoneId: number): void {
    this.reset();
    this.mode = 'new';
    this.zoneId = zoneId;
    this.startDraw().setMode('polygon');
  }

  /** Move the vertices of an existing (single-part, hole-free) parcel. */
  startReshape(parcelId: number, zoneId: number, polygon: Polygon): void {
    this.reset();
    this.mode = 'reshape';
    this.parcelId = parcelId;
    this.zoneId = zoneId;
    const draw = this.startDraw();
    const feature: GeoJSONStoreFeatures = {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [polygon.coordinates[0].map(([x, y]) => [round(x), round(y)])] },
      properties: { mode: 'polygon' },
    };
    const [result] = draw.addFeatures([feature]);
    if (!result.valid) throw new Error(result.reason ?? 'This shape cannot be edited here.');
    this.polygon = feature.geometry as Polygon;
    draw.selectFeature(result.id!);
  }

  /** Draw an area to analyse (nothing is saved). */
  startAnalyse(): void {
    this.reset();
    this.mode = 'analyse';
    this.startDraw().setMode('polygon');
  }

  /** Stop drawing during an analysis, so that the next map click can place a circle's centre. */
  clearAnalysedArea(): void {
    this.stopDraw();
    this.polygon = null;
  }

  /** Analyse a given area (a zone, a circle) instead of a drawn one. */
  setAnalysedArea(polygon: Polygon): void {
    this.stopDraw();
    this.polygon = polygon;
  }

  startSplit(parcelId: number, zoneId: number): void {
    this.reset();
    this.mode = 'split';
    this.parcelId = parcelId;
    this.zoneId = zoneId;
    this.startDraw().setMode('linestring');
  }

  startMerge(parcelId: number, zoneId: number): void {
    this.reset();
    this.mode = 'merge';
    this.parcelId = parcelId;
    this.zoneId = zoneId;
  }

  /** In merge mode, a parcel clicked on the map joins (or leaves) the list. */
  toggleMerge(id: number): void {
    if (id === this.parcelId) return;
    this.mergeIds = this.mergeIds.includes(id) ? this.mergeIds.filter((x) => x !== id) : [...this.mergeIds, id];
  }

  reset(): void {
    this.stopDraw();
    this.mode = 'idle';
    this.parcelId = null;
    this.zoneId = null;
    this.polygon = null;
    this.line = null;
    this.mergeIds = [];
  }
}

const KEY = Symbol('edit-state');
export const setEditState = (state: EditState) => setContext(KEY, state);
export const getEditState = () => getContext<EditState>(KEY);
