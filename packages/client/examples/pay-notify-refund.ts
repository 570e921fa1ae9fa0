import { createServer } from 'node:http';
import { AntomClient } from '@amsgate/client';
export const clientFrom = (env: NodeJS.ProcessEnv) => new AntomClient({ clientId: env.ANTOM_CLIENT_ID ?? '',
  privateKey: env.ANTOM_PRIVATE_KEY ?? '', antomPublicKey: env.ANTOM_PUBLIC_KEY ?? '', baseUrl: env.ANTOM_BASE_URL });
const USD_10 = { currency: 'USD', value: '1000' };

// 1. Pay: usually U PAYMENT_IN_PROCESS with the buyer's page. Results go to the Dashboard's notify URL.
export async function checkout(antom: AntomClient, orderId: string) {
  const paid = await antom.pay({
    productCode: 'CASHIER_PAYMENT', paymentRequestId: `${orderId}-1`, paymentAmount: USD_10,
    order: { referenceOrderId: orderId, orderDescription: `Order ${orderId}`, orderAmount: USD_10 },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' }, env: { terminalType: 'WEB' },
    paymentRedirectUrl: 'https://shop.example/thanks',
  });
  if (paid.resultStatus === 'F' || !paid.data.normalUrl) throw new Error(`pay: ${paid.result.resultCode}`);
  return paid.data.normalUrl;
}

// 2. The notify URL: verify the exact bytes received; deliveries repeat, so onPaid must be idempotent.
export const notifyServer = (antom: AntomClient, onPaid: (paymentId: string) => Promise<void>) =>
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
      const n = antom.verifyNotification({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks) });
      if (!n.ok) return void res.writeHead(400).end(n.reason);
      const paid = n.kind === 'notifyPayment' && n.notification.result.resultStatus === 'S';
      (paid ? onPaid(n.notification.paymentId) : Promise.resolve()).then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(antom.notificationAck()),
        () => res.writeHead(500).end(), // not acknowledged: Antom delivers it again later
      );
    });
  });

// 3. Refund. S: done; U (REFUND_IN_PROCESS): wait for notifyRefund; F: refused, see the code.
export async function refund(antom: AntomClient, paymentId: string) {
  const refunded = await antom.refund({ refundRequestId: `${paymentId}-refund-1`, paymentId, refundAmount: USD_10 });
  if (refunded.resultStatus === 'F') throw new Error(`refund: ${refunded.result.resultCode}`);
  return refunded.resultStatus === 'S' ? 'refunded' : 'in process';
}
