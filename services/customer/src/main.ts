import { runServiceMain } from '@aftercare/kit';
import { loadCustomerConfig } from './config';
import { startCustomerService } from './service';

runServiceMain(() => startCustomerService(loadCustomerConfig()));
