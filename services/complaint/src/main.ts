import { runServiceMain } from '@aftercare/kit';
import { loadComplaintConfig } from './config';
import { startComplaintService } from './service';

runServiceMain(() => startComplaintService(loadComplaintConfig()));
