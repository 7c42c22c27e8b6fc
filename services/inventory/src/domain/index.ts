export * from './accuracy';
export * from './catalogue';
export * from './ledger';
export * from './old-parts';
export * from './requisition';
export * from './stocktake';
export * from './tools';
export * from './values';
