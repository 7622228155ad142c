"""The engine: plan targets, build the outdated ones in workers, write atomically, keep the
manifest, run preflight and write the catalog. It knows output kinds only through the
`OutputKind` interface; the application hands it the registry."""
