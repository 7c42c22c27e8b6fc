import { runServiceMain } from '@aftercare/kit';
import { loadWorkOrderConfig } from './config';
import { startWorkOrderService } from './service';

runServiceMain(() => startWorkOrderService(loadWorkOrderConfig()));
