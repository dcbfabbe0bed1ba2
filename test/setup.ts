import nock from 'nock';

// No test reaches the internet: only loopback (the sandbox) is allowed through.
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
