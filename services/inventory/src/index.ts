export { inventoryService, inventorySpec, startInventoryService } from './service';
export { loadInventoryConfig, type InventoryConfig } from './config';
