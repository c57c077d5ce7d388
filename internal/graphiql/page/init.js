// init.js starts GraphiQL against this service's /graphql. It sends the
// access token on every request, the schema fetch included, and in
// connection_init for subscriptions. The token is kept in sessionStorage (it
// lasts as long as the tab) and can be given in the page's fragment, which
// never reaches a server: /graphiql#token=<token>.
(function () {
  'use strict';
  var storageKey = 'inventory.graphiql.token';
  var endpoint = new URL('graphql', window.location.href);
  var subscriptions = new URL(endpoint);
  subscriptions.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

  var fromFragment = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (fromFragment) {
    setToken(decodeURIComponent(fromFragment[1]));
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  function token() {
    return window.sessionStorage.getItem(storageKey) || '';
  }

  function setToken(value) {
    value = value.trim().replace(/^Bearer\s+/i, '');
    if (value) {
      window.sessionStorage.setItem(storageKey, value);
    } else {
      window.sessionStorage.removeItem(storageKey);
    }
  }

  // authorizedFetch adds the token to a request that has no Authorization
  // header of its own (one typed in GraphiQL's headers pane wins).
  function authorizedFetch(input, init) {
    init = Object.assign({}, init);
    var headers = new Headers(init.headers);
    if (!headers.has('Authorization') && token()) {
      headers.set('Authorization', 'Bearer ' + token());
    }
    init.headers = headers;
    return window.fetch(input, init);
  }

  var state = document.getElementById('token-state');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var generation = 0;

  // render (re)starts GraphiQL with a fetcher for the current token; a new
  // fetcher makes GraphiQL fetch the schema again.
  function render() {
    state.textContent = token() ? 'A token is set for this tab.' : 'No token: every request will be refused.';
    var params = token() ? { Authorization: 'Bearer ' + token() } : {};
    var fetcher = GraphiQL.createFetcher({
      url: endpoint.toString(),
      fetch: authorizedFetch,
      enableIncrementalDelivery: false,
      subscriptionUrl: subscriptions.toString(),
      wsConnectionParams: params,
    });
    generation++;
    root.render(React.createElement(GraphiQL, { fetcher: fetcher, key: generation }));
  }

  document.getElementById('token-bar').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = document.getElementById('token');
    setToken(input.value);
    input.value = '';
    render();
  });
  document.getElementById('forget').addEventListener('click', function () {
    setToken('');
    render();
  });
  render();
})();
