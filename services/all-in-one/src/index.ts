export { startInProcessStack, type InProcessStack, type InProcessStackOptions } from './stack';
