export * from './region';
export * from './station';
export * from './phone';
export * from './kpi-scope';
export * from './customer-file';
