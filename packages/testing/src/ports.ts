export { freeLocalPort as freePort } from '@galvanic/runtime';
