import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FakeIssuer } from '../../test/fixtures/oidc-issuer';
import { CLOCK } from '../clock/clock';
import { APP_CONFIG } from '../config/app-config';
import { OidcModule } from './oidc.module';
import { OidcVerifier } from './oidc.service';

describe('OidcModule', () => {
  it('provides the verifier from the configuration and loads the keys at bootstrap', async () => {
    const issuer = await FakeIssuer.start();
    await issuer.addKey('ES256');
    const now = Date.UTC(2026, 0, 1);
    @Module({
      providers: [
        { provide: APP_CONFIG, useValue: { oidcProviders: [issuer.provider()] } },
        { provide: CLOCK, useValue: () => now },
      ],
      exports: [APP_CONFIG, CLOCK],
    })
    class Core {}
    const fetched = issuer.nextFetch();
    const moduleRef = await Test.createTestingModule({
      imports: [{ module: Core, global: true }, OidcModule],
    }).compile();
    const app = await moduleRef.init();
    await fetched;
    const verifier = app.get(OidcVerifier);
    expect(verifier.enabled).toBe(true);
    expect(await verifier.verify(await issuer.sign(now))).toMatchObject({
      kind: 'jwt',
      accounts: new Set(['111111111111']),
    });
    await app.close();
    await issuer.stop();
  });
});
