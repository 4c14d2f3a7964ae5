import { Controller, Get, Logger, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { FEDERATION_CALLBACK_PATH, FEDERATION_TEST_PATH } from '@tessera/domain';
import { FederationService } from './federation.service';
import { FederationTestService } from './federation-test.service';
import { NO_STORE } from './interaction.controller';
import { renderErrorPage } from './pages';

/** Where a tenant's IdP returns the browser after federated sign-in. */
@ApiExcludeController()
@Controller()
export class FederationController {
  private readonly logger = new Logger('Federation');

  constructor(
    private readonly federation: FederationService,
    private readonly tests: FederationTestService,
  ) {}

  @Get(FEDERATION_CALLBACK_PATH.slice(1))
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const page = await this.federation.callback(req, res);
      if (page && !res.headersSent) res.status(page.status).set(NO_STORE).type('html').send(page.html);
    } catch (error) {
      this.logger.error({ err: error }, 'federation callback failed');
      if (!res.headersSent) res.status(502).set(NO_STORE).type('html').send(renderErrorPage('server_error', 'Your organization\'s sign-in service could not be reached.'));
    }
  }

  /** A tenant admin's "Test sign-in": the ticket the tenant API issued starts one round trip to the IdP. */
  @Get(`${FEDERATION_TEST_PATH.slice(1)}/:ticket`)
  async test(@Param('ticket') ticket: string, @Res() res: Response): Promise<void> {
    try {
      const page = await this.tests.start(ticket, res);
      if (page && !res.headersSent) res.status(page.status).set(NO_STORE).type('html').send(page.html);
    } catch (error) {
      this.logger.error({ err: error }, 'federation test failed');
      if (!res.headersSent) res.status(502).set(NO_STORE).type('html').send(renderErrorPage('server_error', 'The test sign-in could not start.'));
    }
  }
}
