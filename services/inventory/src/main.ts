import { runServiceMain } from '@aftercare/kit';
import { loadInventoryConfig } from './config';
import { startInventoryService } from './service';

runServiceMain(() => startInventoryService(loadInventoryConfig()));
