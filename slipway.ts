// slipway's own delivery definition: `npm run synth` regenerates the files it describes.
import { App } from 'slipway';

const app = new App();

app.synth();
