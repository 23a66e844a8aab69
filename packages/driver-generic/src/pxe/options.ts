import { defineOptionGroup, opt } from '@galvanic/driver-sdk';

/** `[pxe]`, as Ironic names these options. */
export const pxeOptions = defineOptionGroup('pxe', {
  tftp_root: opt.string(
    '/tftpboot',
    "Directory the TFTP server serves; PXELINUX configs are written under its 'pxelinux.cfg'.",
  ),
  pxe_append_params: opt.string(
    'nofb vga=normal',
    'Kernel command line arguments added to every PXE boot.',
  ),
});
