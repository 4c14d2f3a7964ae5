import { Body, Controller, Get, Inject, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { OIDC_PROVIDER } from '../oidc/oidc-provider.holder';
import { FederationService } from './federation.service';
import { InteractionService } from './interaction.service';
import { renderErrorPage } from './pages';

export const NO_STORE = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** The sign-in and consent screens of the OAuth flow (oidc-provider hands the browser here). */
@ApiExcludeController()
@Controller('oauth/interaction/:uid')
export class InteractionController {
  private readonly logger = new Logger('Interaction');

  constructor(
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
    private readonly interactions: InteractionService,
    private readonly federation: FederationService,
  ) {}

  @Get()
  async show(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.respond(res, () => this.interactions.page(this.provider, uid, req, res));
  }

  @Post('login')
  async login(@Param('uid') uid: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.respond(res, () => this.interactions.login(this.provider, uid, body, req, res));
  }

  @Post('federated')
  async federated(@Param('uid') uid: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.respond(res, () => this.interactions.startFederated(this.provider, uid, body, req, res));
  }

  @Get('federated')
  async federatedDone(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.respond(res, () => this.federation.complete(this.provider, uid, req, res));
  }

  @Post('consent')
  async consent(@Param('uid') uid: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.respond(res, () => this.interactions.consent(this.provider, uid, body, req, res));
  }

  /** Runs a step; if it produced a page, sends it. Errors become a readable page, never a stack trace. */
  private async respond(res: Response, step: () => Promise<{ status: number; html: string } | undefined>): Promise<void> {
    try {
      const page = await step();
      if (page && !res.headersSent) res.status(page.status).set(NO_STORE).type('html').send(page.html);
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof errors.SessionNotFound) {
        res.status(400).set(NO_STORE).type('html').send(renderErrorPage('session_not_found', 'This sign-in page has expired or was opened in another browser.'));
        return;
      }
      this.logger.error({ err: error }, 'interaction failed');
      res.status(500).set(NO_STORE).type('html').send(renderErrorPage('server_error', 'Something went wrong on our side.'));
    }
  }
}
