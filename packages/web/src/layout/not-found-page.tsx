import { Link } from '../app/link.js';
import { useDocumentTitle } from '../common/use-document-title.js';

/** A path the app has no page for. */
export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <div className="page page-narrow">
      <h1>Nothing here</h1>
      <p>
        This page does not exist. Go back to the <Link to="/">queue</Link>.
      </p>
    </div>
  );
}
