/** The picture `product/uploadImage` records (the request carries no file): a generated SVG naming the product and the image. */
import { escapeHtml } from '../../../web/html.js';

export function placeholderSvg(productName: string, imageName: string): string {
  // Both strings are escaped: `escapeHtml` covers the characters XML text and attributes need.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" role="img" aria-label="${escapeHtml(productName)}">
<rect width="400" height="300" fill="#e8eaf0"/>
<rect x="150" y="70" width="100" height="80" rx="8" fill="none" stroke="#9aa1b2" stroke-width="6"/>
<circle cx="180" cy="100" r="10" fill="#9aa1b2"/>
<path d="M156 144l30-30 20 20 14-14 24 24z" fill="#9aa1b2"/>
<text x="200" y="200" text-anchor="middle" font-family="sans-serif" font-size="22" fill="#1d2330">${escapeHtml(productName.slice(0, 40))}</text>
<text x="200" y="232" text-anchor="middle" font-family="sans-serif" font-size="12" fill="#5a6275">${escapeHtml(imageName.slice(0, 60))}</text>
</svg>
`;
}
