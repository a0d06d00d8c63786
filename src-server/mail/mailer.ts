// Outgoing mail: through SMTP_URL when given, else each message is written as an .eml file in the
// data folder (the embedded default needs nothing) and its path is logged.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}
export interface Mailer {
  send(msg: MailMessage): Promise<void>;
}

export function createMailer(opts: {
  smtpUrl: string | null;
  mailDir: string | null;
  from: string;
  log: (msg: string) => void;
  /** Where a mail written to a file is announced to a person (npm start's console); the log gets it anyway. */
  announce?: (line: string) => void;
}): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return {
      async send(msg) {
        await transport.sendMail({ from: opts.from, to: msg.to, subject: msg.subject, text: msg.text });
      },
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(msg) {
      const info = await stream.sendMail({ from: opts.from, to: msg.to, subject: msg.subject, text: msg.text });
      if (!opts.mailDir) {
        opts.log(`Courriel non envoyé (aucun SMTP_URL ni dossier) à ${msg.to} : ${msg.subject}`);
        return;
      }
      fs.mkdirSync(opts.mailDir, { recursive: true });
      const file = path.join(
        opts.mailDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`,
      );
      fs.writeFileSync(file, info.message as Buffer);
      opts.log(`Courriel écrit dans ${file} (destinataire ${msg.to})`);
      opts.announce?.(
        `Courriel « ${msg.subject} » pour ${msg.to}, non envoyé (pas de SMTP_URL) : lisez-le dans ${file}`,
      );
    },
  };
}
