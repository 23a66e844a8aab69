import { describe, expect, it } from 'vitest';
import { bootFlagsData, parseBootFlags, parseChassisStatus, parseDeviceId } from '../src/commands';
import { completionCodeMeaning, rmcpPlusStatusMeaning } from '../src/errors';
import { checksum, decodeResponse, encodeRequest } from '../src/message';
import {
  decodeOpenSessionResponse,
  decodeRakp2,
  encodeOpenSessionRequest,
  encodeRakp1,
} from '../src/rakp';
import { CIPHER_SUITES } from '../src/crypto';
import { decodeFrame, encodeV15, encodeV20, splitIntegrityTrailer } from '../src/rmcp';
import { ReplayWindow } from '../src/session';

describe('IPMI message layer', () => {
  it('computes two-complement checksums', () => {
    expect(checksum(Buffer.from([0x20, 0x18]))).toBe(0xc8);
    expect(checksum(Buffer.from([]))).toBe(0);
    const b = Buffer.from([0x81, 0x04, 0x38, 0x8e, 0x04]);
    expect((b.reduce((a, x) => a + x, 0) + checksum(b)) & 0xff).toBe(0);
  });

  it('encodes a Get Channel Auth Capabilities request byte for byte', () => {
    const msg = encodeRequest({ netFn: 0x06, command: 0x38, data: Buffer.from([0x8e, 0x04]) }, 1);
    expect(msg.toString('hex')).toBe('2018c881043' + '88e04' + 'b1');
  });

  it('decodes a response and rejects bad checksums', () => {
    const resp = Buffer.from([0x81, 0x1c, 0x63, 0x20, 0x04, 0x38, 0x00, 0x01, 0x02]);
    resp.writeUInt8(checksum(resp, 3, resp.length), resp.length - 1);
    const fixed = Buffer.concat([
      resp.subarray(0, resp.length - 1),
      Buffer.from([checksum(resp, 3, resp.length - 1)]),
    ]);
    const d = decodeResponse(fixed);
    expect(d).toMatchObject({ netFn: 0x07, command: 0x38, rqSeq: 1, completionCode: 0 });
    expect(d?.data).toEqual(Buffer.from([0x01]));
    const bad = Buffer.from(fixed);
    bad.writeUInt8((bad[2] ?? 0) ^ 1, 2);
    expect(decodeResponse(bad)).toBeUndefined();
    expect(() => encodeRequest({ netFn: 0x07, command: 1, data: new Uint8Array() }, 1)).toThrow(
      RangeError,
    );
  });
});

describe('RMCP / session framing', () => {
  it('round-trips an IPMI 1.5 frame with and without auth code', () => {
    const payload = Buffer.from([1, 2, 3]);
    const none = encodeV15({ authType: 0, sessionSeq: 0, sessionId: 0, payload });
    expect(none.subarray(0, 5).toString('hex')).toBe('0600ff0700');
    expect(decodeFrame(none)).toMatchObject({ kind: 'v15', authType: 0, payload });
    const md5 = encodeV15({
      authType: 2,
      sessionSeq: 7,
      sessionId: 0x11223344,
      authCode: Buffer.alloc(16, 9),
      payload,
    });
    expect(decodeFrame(md5)).toMatchObject({
      kind: 'v15',
      authType: 2,
      sessionSeq: 7,
      sessionId: 0x11223344,
      authCode: Buffer.alloc(16, 9),
    });
  });

  it('pads the RMCP+ integrity trailer to a 4-byte boundary', () => {
    const cs = CIPHER_SUITES.get(3);
    for (let n = 0; n < 12; n++) {
      const dg = encodeV20(
        { payloadType: 0, encrypted: true, sessionId: 5, sessionSeq: 9 },
        Buffer.alloc(n, 0xab),
        { authCodeLength: cs?.integrityLength ?? 12, sign: () => Buffer.alloc(20, 0xcc) },
      );
      const signedLen = dg.length - 4 - 12;
      expect(signedLen % 4).toBe(0);
      const f = decodeFrame(dg);
      if (f?.kind !== 'v20') throw new Error('expected v20');
      expect(f).toMatchObject({
        encrypted: true,
        authenticated: true,
        sessionId: 5,
        sessionSeq: 9,
      });
      const parts = splitIntegrityTrailer(f, 12);
      expect(parts?.authCode).toEqual(Buffer.alloc(12, 0xcc));
      expect(parts?.signed.length).toBe(signedLen);
      expect(splitIntegrityTrailer(f, 16)).toBeUndefined();
    }
  });

  it('rejects truncated or foreign datagrams', () => {
    expect(decodeFrame(Buffer.from([0x06, 0, 0xff]))).toBeUndefined();
    expect(decodeFrame(Buffer.from([0x05, 0, 0xff, 0x07, 0]))).toBeUndefined();
    expect(decodeFrame(Buffer.from([0x06, 0, 0xff, 0x06, 0x00, 0x00]))).toEqual({ kind: 'asf' });
    const v20 = encodeV20(
      { payloadType: 0, encrypted: false, sessionId: 1, sessionSeq: 1 },
      Buffer.alloc(10),
    );
    expect(decodeFrame(v20.subarray(0, v20.length - 1))).toBeUndefined();
  });
});

describe('RMCP+ session setup messages', () => {
  it('lays out the Open Session Request for suite 17', () => {
    const cs = CIPHER_SUITES.get(17);
    if (!cs) throw new Error('suite');
    const b = encodeOpenSessionRequest(0x42, 0xa0a1a2a3, cs, 4);
    expect(b.toString('hex')).toBe(
      '42040000a3a2a1a0' + '0000000803000000' + '0100000804000000' + '0200000801000000',
    );
  });

  it('decodes Open Session Response success and error forms', () => {
    const ok = Buffer.from(
      '4200040' +
        '0a3a2a1a0' +
        '04030201' +
        '0000000801000000' +
        '0100000801000000' +
        '0200000801000000',
      'hex',
    );
    expect(decodeOpenSessionResponse(ok)).toMatchObject({
      status: 0,
      bmcSessionId: 0x01020304,
      auth: 1,
      integrity: 1,
      confidentiality: 1,
    });
    const err = Buffer.from('42110000a3a2a1a0', 'hex');
    expect(decodeOpenSessionResponse(err)).toMatchObject({ status: 0x11 });
    expect(rmcpPlusStatusMeaning(0x11)).toMatch(/cipher suite/);
  });

  it('lays out RAKP 1 and validates RAKP 2 length', () => {
    const r1 = encodeRakp1(1, 0x01020304, Buffer.alloc(16, 0xaa), 0x14, Buffer.from('admin'));
    expect(r1.length).toBe(33);
    expect(r1[24]).toBe(0x14);
    expect(r1[27]).toBe(5);
    const r2 = Buffer.alloc(60);
    expect(decodeRakp2(r2, 20)).toBeDefined();
    expect(decodeRakp2(r2, 32)).toBeUndefined();
  });
});

describe('command payloads', () => {
  it('parses Get Device ID', () => {
    const d = parseDeviceId(
      Buffer.from('000309080 29f91120002 0f00000000'.replace(/ /g, ''), 'hex'),
    );
    expect(d).toMatchObject({
      manufacturerId: 0x1291,
      productId: 0x0f02,
      ipmiVersion: '2.0',
      firmwareRevision: '9.08',
    });
  });

  it('parses chassis status', () => {
    const s = parseChassisStatus(Buffer.from([0x41, 0x10, 0x01]));
    expect(s).toMatchObject({
      powerOn: true,
      powerRestorePolicy: 'always-on',
      chassisIntrusion: true,
    });
    expect(s.lastPowerEvent.commandOn).toBe(true);
  });

  it('encodes and decodes boot flags (device, persistent, EFI)', () => {
    expect(bootFlagsData({ device: 'pxe', persistent: true, efi: true }).toString('hex')).toBe(
      'e004000000',
    );
    expect(bootFlagsData({ device: 'disk' }).toString('hex')).toBe('8008000000');
    const info = parseBootFlags(Buffer.from('0105e014000000', 'hex'));
    expect(info).toMatchObject({ device: 'cdrom', persistent: true, efi: true, valid: true });
  });

  it('explains completion codes', () => {
    expect(completionCodeMeaning(0xc1)).toBe('Invalid command');
    expect(completionCodeMeaning(0xd4)).toMatch(/privilege/);
    expect(completionCodeMeaning(0x81)).toBe('Command-specific completion code');
  });
});

describe('replay window', () => {
  it('accepts new and late-but-unseen numbers, rejects duplicates and very old ones', () => {
    const w = new ReplayWindow();
    expect(w.accept(0)).toBe(false);
    expect(w.accept(10)).toBe(true);
    expect(w.accept(10)).toBe(false);
    expect(w.accept(12)).toBe(true);
    expect(w.accept(11)).toBe(true);
    expect(w.accept(11)).toBe(false);
    expect(w.accept(100)).toBe(true);
    expect(w.accept(12)).toBe(false);
  });
});
