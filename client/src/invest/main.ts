import { mount } from 'svelte';
import 'maplibre-gl/dist/maplibre-gl.css';
import '../app.css';
import InvestApp from './InvestApp.svelte';

mount(InvestApp, { target: document.getElementById('app')! });
