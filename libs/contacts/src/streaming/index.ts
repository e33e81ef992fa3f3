export { cursorBatches } from './sql-cursor';
export { sendStream } from './send-stream';
