// The SDK warns on every client under Node 20 that future releases need Node 22; the
// suite runs on both, and the warning is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
