// Event helpers of the e2e tests: the testkit's, named here so the tests' imports stay short.
export { eventually, streamEvents } from '@aftercare/testkit';
