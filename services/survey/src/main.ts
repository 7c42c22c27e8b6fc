import { runServiceMain } from '@aftercare/kit';
import { loadSurveyConfig } from './config';
import { startSurveyService } from './service';

runServiceMain(() => startSurveyService(loadSurveyConfig()));
