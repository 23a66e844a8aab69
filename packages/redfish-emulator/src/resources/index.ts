import type { Authenticator } from '../auth';
import { Router } from '../http/router';
import type { EmulatorModel } from '../model';
import { registerBiosRoutes } from './bios';
import { registerChassisRoutes } from './chassis';
import { registerEnvironmentRoutes } from './environment';
import { registerEventRoutes } from './event-service';
import { registerInventoryRoutes } from './inventory';
import { registerManagerRoutes } from './managers';
import { registerSecureBootRoutes } from './secure-boot';
import { registerServiceRootRoutes } from './service-root';
import { registerSessionRoutes } from './session-service';
import { registerSystemRoutes } from './systems';
import { registerTaskRoutes } from './task-service';
import { registerUpdateRoutes } from './update-service';

/** Every Redfish resource this emulator serves. */
export function buildRouter(model: EmulatorModel, authenticator: Authenticator): Router {
  const router = new Router();
  registerServiceRootRoutes(router, model);
  registerSystemRoutes(router, model);
  registerInventoryRoutes(router, model);
  registerBiosRoutes(router, model);
  registerSecureBootRoutes(router, model);
  registerManagerRoutes(router, model);
  registerChassisRoutes(router, model);
  registerEnvironmentRoutes(router, model);
  registerSessionRoutes(router, model, authenticator);
  registerEventRoutes(router, model);
  registerTaskRoutes(router, model);
  registerUpdateRoutes(router, model);
  return router;
}
