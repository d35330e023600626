/**
 * The layers of the project (`npm run lint`): lang/ at the bottom, the deploy side (stacks/) and the
 * emulator (local/) side by side above it, entry points (main.ts, scripts/) on top. A layer never
 * points upward and the two sides never import each other; constructs never read the app's
 * configuration; no cycle anywhere; no package that package.json does not declare.
 * __tests__/lint/layers.test.ts checks that each rule fails on a breach.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules that import each other, directly or through others, cannot be understood or tested alone.",
      from: {},
      to: { circular: true },
    },
    {
      name: "lang-is-the-bottom",
      severity: "error",
      comment: "lang/ holds what both sides speak: it imports no other part of the project.",
      from: { path: "^lang/" },
      to: { path: "^(stacks|local|scripts|__tests__)/|^main\\.ts$" },
    },
    {
      name: "deploy-side-not-emulator",
      severity: "error",
      comment: "The deploy side (stacks/) never imports the emulator, the entry points or the tests.",
      from: { path: "^stacks/" },
      to: { path: "^(local|scripts|__tests__)/|^main\\.ts$" },
    },
    {
      name: "emulator-not-deploy-side",
      severity: "error",
      comment: "The emulator (local/) reads the synthesized JSON, never the deploy side's code; entry points hand it what it needs.",
      from: { path: "^local/" },
      to: { path: "^(stacks|scripts|__tests__)/|^main\\.ts$" },
    },
    {
      name: "constructs-not-app",
      severity: "error",
      comment: "Constructs take typed props; they never read the app's configuration or its stacks (stacks/*.ts).",
      from: { path: "^stacks/constructs/" },
      to: { path: "^stacks/[^/]+$" },
    },
    {
      name: "app-not-emulator",
      severity: "error",
      comment: "main.ts builds the app from the deploy side only.",
      from: { path: "^main\\.ts$" },
      to: { path: "^(local|scripts|__tests__)/" },
    },
    {
      name: "no-undeclared-dependency",
      severity: "error",
      comment: "A package the code imports must be declared in package.json (not only installed as another's dependency).",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "no-dev-dependency-at-run-time",
      severity: "error",
      comment: "What synth and the local API run must not need devDependencies.",
      from: { path: "^(lang|stacks|local)/|^main\\.ts$" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"], pathNot: "node_modules/@types/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing.",
      from: {},
      // velocityjs declares its AST types only in an internal file its `exports` map hides; TypeScript
      // resolves that type-only import and it is erased at compile time.
      to: { couldNotResolve: true, pathNot: "^velocityjs/dist/src/type$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|cdktf\\.out|\\.build|coverage)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
