import { Controller, Get, Inject, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode, FEDERATION_CALLBACK_PATH, SLUG_PATTERN, TesseraError } from '@tessera/domain';
import { TenantRepository } from '@tessera/persistence';
import { ConsoleSessionService, readCookie } from '../api-auth/console-session.service';
import { CONSOLE_CSP, consoleFile } from './console-files';
import { CONSOLE_CONFIG, type ConsoleConfig } from './console.config';
import { ConsoleSignInService, PENDING_COOKIE } from './console-sign-in.service';

/** The admin console: its sign-in backend (BFF) and its static files, all under /console. */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly signIn: ConsoleSignInService,
    private readonly sessions: ConsoleSessionService,
    private readonly tenants: TenantRepository,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get('login')
  async login(@Query('tenant') tenant: unknown, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    // A browser lands here from the sign-in form: a bad or unknown organization goes back to that form with a fixed
    // code (never the raw input); only a well-formed slug is echoed back to refill the field.
    if (typeof tenant !== 'string' || !SLUG_PATTERN.test(tenant)) {
      res.redirect(303, '/console/?tenantError=invalid');
      return;
    }
    if (!(await this.tenants.findBySlug(tenant))) {
      res.redirect(303, `/console/?tenantError=unknown&tenant=${encodeURIComponent(tenant)}`);
      return;
    }
    const { url, setCookie } = await this.signIn.start(tenant);
    res.setHeader('Set-Cookie', setCookie);
    res.redirect(303, url);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = await this.signIn.callback(req, readCookie(req.headers.cookie, PENDING_COOKIE));
    res.setHeader('Cache-Control', 'no-store');
    if (outcome.ok) {
      res.setHeader('Set-Cookie', outcome.setCookies);
      res.redirect(303, '/console/');
      return;
    }
    res.redirect(303, `/console/?error=${outcome.reason}`);
  }

  /** Who is signed in, and the CSRF token the SPA sends back on every state change. */
  @Get('session')
  async session(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    const live = await this.sessions.current(req);
    if (!live) throw new TesseraError(ErrorCode.Unauthorized, 'not signed in to the console');
    const tenant = await this.tenants.findById(live.session.tenantId);
    return {
      tenant: { slug: tenant!.slug, name: tenant!.name },
      user: { email: live.user.email, name: live.user.name },
      csrfToken: live.session.csrfToken,
      // What an admin registers at their IdP before the first save of the identity provider page.
      federationRedirectUri: `${this.config.publicUrl}${FEDERATION_CALLBACK_PATH}`,
    };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const live = await this.sessions.current(req);
    if (live) this.sessions.requireSameOriginWrite(req, live.session);
    res.setHeader('Set-Cookie', await this.signIn.signOut(req));
  }

  @Get()
  index(@Res() res: Response): void {
    this.serve('', res);
  }

  @Get('*path')
  file(@Req() req: Request, @Res() res: Response): void {
    this.serve(req.path.replace(/^\/console\/?/, ''), res);
  }

  private serve(path: string, res: Response): void {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const file = consoleFile(path);
    if (!file) {
      res.status(404).type('text/plain').send('The console is not built: run npm run build.');
      return;
    }
    res.status(200).setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', file.cacheControl);
    res.send(file.body);
  }
}
