// Swagger UI over this server's /openapi.yaml; no validator badge (it would call another site).
"use strict";
window.ui = SwaggerUIBundle({ url: "/openapi.yaml", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true,
  tryItOutEnabled: false, supportedSubmitMethods: [] });
