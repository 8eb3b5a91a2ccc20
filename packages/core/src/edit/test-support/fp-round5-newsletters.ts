// Newsletter pages of false-positive round 5, shared by its unit, function and browser tests.

/** The newsletter's own content, the same in every template. */
export const CONTENT =
  '<table role="presentation" width="100%"><tr><td align="center"><h1>Winter sale</h1><p>Up to 40% off all boots.</p></td></tr></table>';

/**
 * Campaign Monitor's page: its head (Office settings, web fonts hidden from Outlook) and the two body tags it writes,
 * one for Outlook alone and one hidden from it.
 */
export const CAMPAIGN_MONITOR = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional //EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width" /><!--[if !mso]><!--><meta http-equiv="X-UA-Compatible" content="IE=edge" /><!--<![endif]-->
<title></title>
<!--[if !mso]><!--><style type="text/css">
@import url(https://fonts.googleapis.com/css?family=Open+Sans:400,700,400italic);
</style><link href="https://fonts.googleapis.com/css?family=Open+Sans:400,700,400italic" rel="stylesheet" type="text/css" /><!--<![endif]--><style type="text/css">
body{margin:0;padding:0}
</style>
<!--[if gte mso 9]><style>.column-top{mso-line-height-rule:exactly !important}</style><![endif]-->
<meta name="robots" content="noindex,nofollow" />
<meta property="og:title" content="Winter sale" />
</head>
<!--[if mso]>
  <body class="mso">
<![endif]-->
<!--[if !mso]><!-->
  <body class="full-padding" style="margin: 0;padding: 0;-webkit-text-size-adjust: 100%;">
<!--<![endif]-->
<table class="wrapper" style="border-collapse: collapse;table-layout: fixed;min-width: 320px;width: 100%;background-color: #fff;" cellpadding="0" cellspacing="0" role="presentation"><tbody><tr><td>
<div role="banner"><div class="preheader" style="Margin: 0 auto;max-width: 560px;min-width: 280px; width: 280px;"><div style="border-collapse: collapse;display: table;width: 100%;"><!--[if (mso)|(IE)]><table align="center" class="preheader" cellpadding="0" cellspacing="0" role="presentation"><tr><td style="width: 280px" valign="top"><![endif]--><div class="snippet" style="display: table-cell;Float: left;font-size: 12px;line-height: 19px;max-width: 280px;min-width: 140px;">Our winter sale starts today</div><!--[if (mso)|(IE)]></td></tr></table><![endif]--></div></div></div>
${CONTENT}
</td></tr></tbody></table>
</body></html>`;
