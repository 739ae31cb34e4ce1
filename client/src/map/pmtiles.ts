/**
 * A local PMTiles archive as the basemap (BASEMAP_PMTILES on the server, for intranets without the
 * internet): MapLibre reads it through the pmtiles:// protocol in HTTP range requests to our own server.
 * A vector archive (e.g. a Protomaps extract) is drawn with the Protomaps "light" style without its icons;
 * a raster archive (PNG/JPEG/WebP) as plain tiles.
 */
import { addProtocol, type LayerSpecification, type SourceSpecification } from 'maplibre-gl';
import { PMTiles, Protocol, TileType } from 'pmtiles';
import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps';

/** Our copies of the style's layers carry this prefix, so that switching basemaps removes exactly them (MapView). */
export const PMTILES_LAYER_PREFIX = 'pmtiles-';

let protocol: Protocol | null = null;
function registerProtocol(): Protocol {
  if (!protocol) {
    protocol = new Protocol();
    addProtocol('pmtiles', protocol.tile);
  }
  return protocol;
}

export async function pmtilesLayers(
  url: string,
  attribution: string,
  lang: 'zh' | 'en',
): Promise<{ source: SourceSpecification; layers: LayerSpecification[] }> {
  const p = registerProtocol();
  const archive = new PMTiles(url);
  p.add(archive);
  const header = await archive.getHeader();
  const source = `pmtiles://${url}`;
  if (header.tileType !== TileType.Mvt) {
    return {
      source: { type: 'raster', url: source, tileSize: 256, attribution },
      layers: [{ id: `${PMTILES_LAYER_PREFIX}raster`, type: 'raster', source: 'basemap' }],
    };
  }
  const styled = protomapsLayers('basemap', namedFlavor('light'), { lang: lang === 'en' ? 'en' : 'zh-Hans' })
    // Our own background stays; icons would need a sprite server.
    .filter((l) => l.type !== 'background' && !(l.type === 'symbol' && l.layout && 'icon-image' in l.layout))
    .map((l) => ({ ...l, id: `${PMTILES_LAYER_PREFIX}${l.id}` }) as LayerSpecification);
  return { source: { type: 'vector', url: source, attribution }, layers: styled };
}
