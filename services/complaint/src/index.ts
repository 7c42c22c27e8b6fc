export { complaintService, complaintSpec, startComplaintService } from './service';
export { loadComplaintConfig, type ComplaintConfig } from './config';
