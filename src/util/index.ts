// util/: the bottom layer. Imports nothing from the project.
export * from './result.js';
export * from './clock.js';
export * from './logger.js';
export * from './ids.js';
export * from './random-pool.js';
